package io.celeriac.test.broker;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy between a client and a real RabbitMQ node that a test can stall: it stops
 * reading what the client writes (as RabbitMQ does while it blocks a connection, or as a
 * peer gone away without closing the connection looks), or stops passing on what the node
 * answers, from now on or from a given AMQP method on, and it can drop one AMQP method on
 * its way to the client. Nothing else is changed: the node is real.
 * <p>
 * What the node sends is a sequence of AMQP frames (type, channel, size, payload, end
 * byte), so the proxy passes it on frame by frame and tells methods apart by their class
 * and method ids.
 *
 * @author Celeriac team
 */
final class StallingProxy implements AutoCloseable {

	/**
	 * The receive buffer of the proxy's side of each connection: small, so that a client
	 * writing while the proxy does not read fills it quickly.
	 */
	private static final int RECEIVE_BUFFER = 16 * 1024;

	private final ServerSocket server;

	private final int target;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final Object gate = new Object();

	private boolean upstreamStalled;

	private boolean downstreamStalled;

	private int stallAtClass = -1;

	private int stallAtMethod = -1;

	private int dropClass = -1;

	private int dropMethod = -1;

	private volatile boolean closed;

	/**
	 * Starts a proxy on a free loopback port to the given local port.
	 * @param target the port of the RabbitMQ node
	 */
	StallingProxy(int target) throws IOException {
		this.target = target;
		this.server = new ServerSocket();
		this.server.setReceiveBufferSize(RECEIVE_BUFFER);
		this.server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		Thread acceptor = new Thread(this::accept, "stalling-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Stops reading what clients write, or reads it again.
	 * @param stalled whether to stop
	 */
	void stallUpstream(boolean stalled) {
		synchronized (this.gate) {
			this.upstreamStalled = stalled;
			this.gate.notifyAll();
		}
	}

	/**
	 * Stops passing on what the node answers, or passes it on again (with what waited
	 * meanwhile).
	 * @param stalled whether to stop
	 */
	void stallDownstream(boolean stalled) {
		synchronized (this.gate) {
			this.downstreamStalled = stalled;
			this.stallAtClass = -1;
			this.stallAtMethod = -1;
			this.gate.notifyAll();
		}
	}

	/**
	 * Stops passing on what the node answers from the next method of the given ids on,
	 * that method included, until {@link #stallDownstream(boolean)
	 * stallDownstream(false)}.
	 * @param classId the method's class id (20 for channel)
	 * @param methodId the method's id (11 for open-ok)
	 */
	void stallDownstreamAt(int classId, int methodId) {
		synchronized (this.gate) {
			this.stallAtClass = classId;
			this.stallAtMethod = methodId;
		}
	}

	/**
	 * Drops the next method of the given ids on its way to the client.
	 * @param classId the method's class id (85 for confirm)
	 * @param methodId the method's id (11 for select-ok)
	 */
	void dropNext(int classId, int methodId) {
		synchronized (this.gate) {
			this.dropClass = classId;
			this.dropMethod = methodId;
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		stallUpstream(false);
		stallDownstream(false);
		this.server.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				Socket node = new Socket(InetAddress.getLoopbackAddress(), this.target);
				this.sockets.add(client);
				this.sockets.add(node);
				start("stalling-proxy-up", () -> upstream(client.getInputStream(), node.getOutputStream()), client,
						node);
				start("stalling-proxy-down", () -> downstream(node.getInputStream(), client.getOutputStream()), client,
						node);
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void start(String name, Pump pump, Socket client, Socket node) {
		Thread thread = new Thread(() -> {
			try {
				pump.run();
			}
			catch (IOException | InterruptedException ex) {
				// one side closed: close both, as a proxy does
			}
			finally {
				closeQuietly(client);
				closeQuietly(node);
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
	}

	private void upstream(InputStream in, OutputStream out) throws IOException, InterruptedException {
		byte[] buffer = new byte[8192];
		while (true) {
			synchronized (this.gate) {
				while (this.upstreamStalled && !this.closed) {
					this.gate.wait();
				}
			}
			int read = in.read(buffer);
			if (read < 0) {
				return;
			}
			out.write(buffer, 0, read);
			out.flush();
		}
	}

	private void downstream(InputStream raw, OutputStream out) throws IOException, InterruptedException {
		DataInputStream in = new DataInputStream(raw);
		while (true) {
			byte[] header = new byte[7];
			in.readFully(header);
			int size = ((header[3] & 0xff) << 24) | ((header[4] & 0xff) << 16) | ((header[5] & 0xff) << 8)
					| (header[6] & 0xff);
			byte[] rest = new byte[size + 1];
			in.readFully(rest);
			boolean method = header[0] == 1 && size >= 4;
			int classId = method ? ((rest[0] & 0xff) << 8) | (rest[1] & 0xff) : -1;
			int methodId = method ? ((rest[2] & 0xff) << 8) | (rest[3] & 0xff) : -1;
			synchronized (this.gate) {
				if (method && classId == this.dropClass && methodId == this.dropMethod) {
					this.dropClass = -1;
					this.dropMethod = -1;
					continue;
				}
				if (method && classId == this.stallAtClass && methodId == this.stallAtMethod) {
					this.downstreamStalled = true;
				}
				while (this.downstreamStalled && !this.closed) {
					this.gate.wait();
				}
			}
			out.write(header);
			out.write(rest);
			out.flush();
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closed already
		}
	}

	@FunctionalInterface
	private interface Pump {

		void run() throws IOException, InterruptedException;

	}

}
