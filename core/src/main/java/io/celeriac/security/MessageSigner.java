package io.celeriac.security;

/**
 * Signs the body of every task message a producer publishes, so that a worker can tell
 * who sent it and that nobody changed it on the way.
 *
 * @author Celeriac team
 * @see MessageVerifier
 */
@FunctionalInterface
public interface MessageSigner {

	/**
	 * Signs a payload.
	 * @param payload the serialized body, e.g. the JSON of a task message
	 * @return the signed payload to publish in its place, with its own content type
	 */
	MessagePayload sign(MessagePayload payload);

}
