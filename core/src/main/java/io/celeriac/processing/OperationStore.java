package io.celeriac.processing;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where results, redirections, the pending callback arguments of each request and the
 * outcome of each processing are kept. Every method that reads and changes the state of
 * one key does it atomically, which is what makes coalescing race free: of any number of
 * concurrent callers that miss on a key, exactly one is told to delegate the processing,
 * and the callback arguments appended before the result is stored are exactly those that
 * {@link #complete} takes. Taken arguments are kept until {@link #delivered} confirms
 * that they reached the callback (or the quarantine queue); the next completion of the
 * key takes them again, so a worker that dies in a callback loses no caller. Callback
 * arguments and results are opaque JSON strings. The Redis implementation shares the
 * state between processes; the in-memory one keeps it in one JVM.
 *
 * @author Celeriac team
 */
public interface OperationStore {

	/**
	 * Returns the stored result when there is one; otherwise the redirection when the URI
	 * has one; otherwise appends the callback arguments to the key's pending list and, if
	 * no processing is running for the key, records {@code candidateId} as its processing
	 * (the caller must then delegate it).
	 * @param key the key
	 * @param callbackArgs the callback arguments to append on a miss (JSON), possibly
	 * several at once
	 * @param candidateId the processing id to record if this call starts the processing
	 * @param pendingTimeout how long the processing counts as running without news; after
	 * that the next caller starts it again (and the pending arguments go to it)
	 * @return what happened
	 */
	Lookup getOrAppend(OperationKey key, List<String> callbackArgs, String candidateId, Duration pendingTimeout);

	/**
	 * Stores the result, takes the pending callback arguments and forgets the running
	 * processing, in one step.
	 * @param key the key
	 * @param result the result (JSON)
	 * @param expires how long the result is kept, and the taken arguments until
	 * {@link #delivered}
	 * @return the callback arguments that earlier completions took and never confirmed
	 * delivered, then those that were pending, in the order they arrived
	 */
	List<String> complete(OperationKey key, String result, Duration expires);

	/**
	 * Records that the key's URI resolves to another URI's result, takes the pending
	 * callback arguments and forgets the running processing, in one step.
	 * @param key the key
	 * @param target the URI whose result the key's URI shares
	 * @param expires how long the redirection is kept, and the taken arguments until
	 * {@link #delivered}
	 * @return the callback arguments taken, as for {@link #complete}
	 */
	List<String> redirect(OperationKey key, String target, Duration expires);

	/**
	 * Takes the pending callback arguments and forgets the running processing without
	 * storing anything (the request was quarantined), in one step.
	 * @param key the key
	 * @param keep how long the taken arguments are kept until {@link #delivered}
	 * @return the callback arguments taken, as for {@link #complete}
	 */
	List<String> abandon(OperationKey key, Duration keep);

	/**
	 * Confirms that the arguments the last completion took reached their callback (or the
	 * quarantine queue), so that no later completion takes them again.
	 * @param key the key
	 */
	void delivered(OperationKey key);

	/**
	 * Gives up a processing whose task could not be sent, if it is still the one running
	 * for the key, so that the next request starts it again at once instead of joining a
	 * processing that never runs. The pending callback arguments stay for that next
	 * processing.
	 * @param key the key
	 * @param processingId the processing that could not be sent
	 */
	void release(OperationKey key, String processingId);

	/**
	 * Keeps a running processing counted as running for another {@code pendingTimeout} (a
	 * retry that waits for its countdown).
	 * @param key the key
	 * @param pendingTimeout how long from now
	 */
	void touch(OperationKey key, Duration pendingTimeout);

	/**
	 * Records how a processing ended, for callers who await it.
	 * @param processingId the processing id
	 * @param outcome the outcome, see {@link #outcome(String)}
	 * @param retention how long the record is kept
	 */
	void finish(String processingId, String outcome, Duration retention);

	/**
	 * Returns how a processing ended: {@code called-back}, {@code quarantined}, or
	 * {@code redirect:<id>} when its callers now wait for processing {@code id}.
	 * @param processingId the processing id
	 * @return the outcome, or {@code null} while it runs (or once its record expired)
	 */
	@Nullable String outcome(String processingId);

	/**
	 * What {@link #getOrAppend} found.
	 *
	 * @param kind what happened
	 * @param value the result for {@link Kind#HIT}, the target URI for
	 * {@link Kind#REDIRECTED}, the processing id otherwise
	 */
	record Lookup(Kind kind, String value) {

		/**
		 * Returns a hit.
		 * @param result the stored result
		 * @return the lookup
		 */
		public static Lookup hit(String result) {
			return new Lookup(Kind.HIT, result);
		}

		/**
		 * Returns a redirection.
		 * @param target the URI to look up instead
		 * @return the lookup
		 */
		public static Lookup redirected(String target) {
			return new Lookup(Kind.REDIRECTED, target);
		}

		/**
		 * Returns a miss that started the processing.
		 * @param processingId the candidate id, now the processing's
		 * @return the lookup
		 */
		public static Lookup started(String processingId) {
			return new Lookup(Kind.STARTED, processingId);
		}

		/**
		 * Returns a miss that joined a running processing.
		 * @param processingId the running processing's id
		 * @return the lookup
		 */
		public static Lookup joined(String processingId) {
			return new Lookup(Kind.JOINED, processingId);
		}

	}

	/**
	 * What {@link #getOrAppend} found.
	 */
	enum Kind {

		/**
		 * The result is stored; nothing was appended.
		 */
		HIT,

		/**
		 * The URI resolves to another URI; nothing was appended.
		 */
		REDIRECTED,

		/**
		 * The arguments were appended and this call started the processing: the caller
		 * delegates it.
		 */
		STARTED,

		/**
		 * The arguments were appended to those of a running processing.
		 */
		JOINED

	}

}
