package io.celeriac.cache;

/**
 * Thrown when a cache region is used in a way its configuration does not allow, e.g. a
 * {@link CacheRegion @CacheRegion} naming a region that is not configured.
 *
 * @author Celeriac team
 */
public class CacheConfigurationException extends RuntimeException {

	/**
	 * Creates an exception with the given message.
	 * @param message what is wrong and how to fix it
	 */
	public CacheConfigurationException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with the given message and cause.
	 * @param message what is wrong and how to fix it
	 * @param cause the underlying failure
	 */
	public CacheConfigurationException(String message, Throwable cause) {
		super(message, cause);
	}

}
