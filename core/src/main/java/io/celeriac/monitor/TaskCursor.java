package io.celeriac.monitor;

import java.time.Instant;

/**
 * Where a page of the {@link TaskHistory} ended: the last task's seen-at time and id, so
 * that the next page starts right after it without counting the rows before (keyset
 * pagination). Its {@link #token() token} travels in URLs.
 *
 * @param seenAt when the last task of the page was seen
 * @param taskId the last task's id, to order tasks seen at the same instant
 * @author Celeriac team
 */
public record TaskCursor(Instant seenAt, String taskId) {

	/**
	 * Tells whether a task comes after this cursor, newest first: seen earlier, or at the
	 * same instant with a smaller id.
	 * @param seenAt when the task was seen
	 * @param taskId its id
	 * @return whether the next page may hold it
	 */
	public boolean precedes(Instant seenAt, String taskId) {
		int seen = seenAt.compareTo(this.seenAt);
		return seen < 0 || (seen == 0 && taskId.compareTo(this.taskId) < 0);
	}

	/**
	 * Returns the cursor as an opaque string that {@link #parse(String)} reads back.
	 * @return the token
	 */
	public String token() {
		return this.seenAt.getEpochSecond() + "." + this.seenAt.getNano() + "." + this.taskId;
	}

	/**
	 * Reads a cursor from its {@link #token() token}.
	 * @param token the token
	 * @return the cursor
	 * @throws IllegalArgumentException if the token is not one this class wrote
	 */
	public static TaskCursor parse(String token) {
		String[] parts = token.split("\\.", 3);
		if (parts.length != 3) {
			throw new IllegalArgumentException("Not a task cursor: '" + token + "'");
		}
		try {
			return new TaskCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Integer.parseInt(parts[1])),
					parts[2]);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Not a task cursor: '" + token + "'", ex);
		}
	}

}
