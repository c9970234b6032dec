package io.celeriac.test.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy of a test's own in front of a server, that can stop forwarding without
 * closing anything, as a network that silently went away does: no reset, no close, in
 * either direction; the client's writes are still acknowledged by this proxy's TCP stack.
 * Whatever was held back is delivered once it forwards again, as TCP retransmission would
 * deliver it after the network came back.
 *
 * @author Celeriac team
 */
public final class TcpProxy implements AutoCloseable {

	private final String host;

	private final int port;

	private final ServerSocket server;

	private final List<Link> links = new CopyOnWriteArrayList<>();

	private volatile boolean silenceNewLinks;

	private TcpProxy(String host, int port) throws IOException {
		this.host = host;
		this.port = port;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
	}

	/**
	 * Starts a proxy on a free loopback port.
	 * @param host the server's host
	 * @param port the server's port
	 * @return the proxy, forwarding
	 */
	public static TcpProxy start(String host, int port) {
		try {
			TcpProxy proxy = new TcpProxy(host, port);
			daemon("tcp-proxy-accept", proxy::accept).start();
			return proxy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Returns the port clients connect to.
	 * @return the port
	 */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Returns the local ports of this proxy's connections to the server, as the server
	 * sees its clients' addresses.
	 * @return the ports of the open connections
	 */
	public List<Integer> serverSidePorts() {
		return this.links.stream().map((link) -> link.upstream.getLocalPort()).toList();
	}

	/**
	 * Stops forwarding on some connections and on every connection opened from now on,
	 * until {@link #forward()}.
	 * @param serverSidePorts the connections, by the local port of their server side
	 */
	public void silence(Set<Integer> serverSidePorts) {
		this.silenceNewLinks = true;
		this.links.stream()
			.filter((link) -> serverSidePorts.contains(link.upstream.getLocalPort()))
			.forEach((link) -> link.silence(true));
	}

	/**
	 * Forwards on every connection again, held-back bytes first.
	 */
	public void forward() {
		this.silenceNewLinks = false;
		this.links.forEach((link) -> link.silence(false));
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.links.forEach(Link::close);
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket upstream = new Socket();
				upstream.connect(new InetSocketAddress(this.host, this.port), 5_000);
				Link link = new Link(client, upstream, this.silenceNewLinks);
				this.links.add(link);
				daemon("tcp-proxy-up", () -> link.pump(client, upstream)).start();
				daemon("tcp-proxy-down", () -> link.pump(upstream, client)).start();
			}
			catch (IOException ex) {
				// closed, or the server refused: the client sees its connection closed
			}
		}
	}

	private static Thread daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	/**
	 * One client connection and its connection to the server.
	 */
	private final class Link {

		private final Socket client;

		private final Socket upstream;

		private boolean silent;

		Link(Socket client, Socket upstream, boolean silent) {
			this.client = client;
			this.upstream = upstream;
			this.silent = silent;
		}

		synchronized void silence(boolean silent) {
			this.silent = silent;
			notifyAll();
		}

		private synchronized void awaitForwarding() throws InterruptedException {
			while (this.silent) {
				wait();
			}
		}

		void pump(Socket from, Socket to) {
			byte[] buffer = new byte[8192];
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					awaitForwarding();
					out.write(buffer, 0, read);
					out.flush();
				}
				// a silent network does not deliver a close either
				awaitForwarding();
			}
			catch (IOException ex) {
				// the other side closed
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				close();
			}
		}

		void close() {
			TcpProxy.this.links.remove(this);
			closeQuietly(this.client);
			closeQuietly(this.upstream);
			silence(false);
		}

		private static void closeQuietly(Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

	}

}
