package io.celeriac.test.resource;

import java.util.ArrayList;
import java.util.List;

/**
 * The servers, clients and workers a test started, closed in the reverse order of their
 * start once the test ends, so that a client closes before the server it talks to. Every
 * one is closed even when an earlier one fails to close; the first failure is thrown with
 * the others suppressed.
 *
 * @author Celeriac team
 */
public final class OwnedResources implements AutoCloseable {

	private final List<AutoCloseable> resources = new ArrayList<>();

	/**
	 * Owns a resource: it is closed with the others.
	 * @param <T> its type
	 * @param resource the resource
	 * @return the resource
	 */
	public <T extends AutoCloseable> T own(T resource) {
		this.resources.add(resource);
		return resource;
	}

	/**
	 * Adds what closes something the test started, e.g. {@code worker::stop}.
	 * @param closing what closes it
	 */
	public void add(AutoCloseable closing) {
		this.resources.add(closing);
	}

	@Override
	public void close() throws Exception {
		Exception failure = null;
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			try {
				this.resources.get(i).close();
			}
			catch (Exception ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		this.resources.clear();
		if (failure != null) {
			throw failure;
		}
	}

}
