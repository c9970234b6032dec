package io.celeriac.test.services;

/**
 * A resolved server and what to do when the test run no longer needs it (stop its
 * container, or nothing for a server that was already running).
 *
 * @param <E> the endpoint type
 * @param endpoint where the server answers
 * @param release what frees it
 * @author Celeriac team
 */
record Resolved<E>(E endpoint, AutoCloseable release) implements AutoCloseable {

	static <E> Resolved<E> running(E endpoint) {
		return new Resolved<>(endpoint, () -> {
		});
	}

	@Override
	public void close() throws Exception {
		this.release.close();
	}

}
