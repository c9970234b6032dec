package io.celeriac.cache;

/**
 * Thrown by a {@link CacheStore} that cannot answer, e.g. when its server is down or
 * slower than the configured timeout. {@link CacheRegions} catches it and runs the method
 * uncached.
 *
 * @author Celeriac team
 */
public class CacheStoreException extends RuntimeException {

	/**
	 * Creates an exception with the given message and cause.
	 * @param message what failed
	 * @param cause the underlying failure
	 */
	public CacheStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
