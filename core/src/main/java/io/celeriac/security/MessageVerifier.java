package io.celeriac.security;

/**
 * Checks the signature of every task message a worker receives before anything in it is
 * read, and gives back the body that was signed.
 *
 * @author Celeriac team
 * @see MessageSigner
 */
@FunctionalInterface
public interface MessageVerifier {

	/**
	 * Verifies a payload as received.
	 * @param payload the body with the content type and encoding of the message
	 * @return the payload that was signed (or the payload itself when unsigned messages
	 * are accepted)
	 * @throws MessageSignatureException if the message is unsigned and must not be,
	 * signed by an unknown signer, or its signature does not match
	 */
	MessagePayload verify(MessagePayload payload);

}
