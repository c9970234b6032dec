package io.celeriac.test.services;

/**
 * Thrown when a test needs a server that is neither configured, nor startable in a
 * container, nor running on 127.0.0.1. Its message says how to provide one.
 *
 * @author Celeriac team
 */
public class ServiceUnavailableException extends RuntimeException {

	ServiceUnavailableException(String message) {
		super(message);
	}

}
