package io.celeriac.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The publishing process as Celery names it in the {@code origin} header:
 * {@code gen<pid>@<host>}.
 *
 * @author Celeriac team
 */
public final class Origin {

	private Origin() {
	}

	/**
	 * Returns the {@code origin} of this process.
	 * @return e.g. {@code gen26493@vm}
	 */
	public static String current() {
		return "gen" + ProcessHandle.current().pid() + "@" + hostName();
	}

	/**
	 * Returns this machine's host name, or {@code localhost} where it cannot be found.
	 * @return the host name
	 */
	public static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
