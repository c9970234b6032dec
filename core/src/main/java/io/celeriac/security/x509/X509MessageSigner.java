package io.celeriac.security.x509;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import io.celeriac.security.MessagePayload;
import io.celeriac.security.MessageSigner;

/**
 * Signs task messages with an RSA private key as Celery 5.2.6's {@code auth} serializer
 * does, naming the key's certificate as the signer, so that a Python Celery worker set up
 * with {@code app.setup_security()} runs them.
 *
 * @author Celeriac team
 */
public final class X509MessageSigner implements MessageSigner {

	private static final byte[] PROBE = "celeriac".getBytes(StandardCharsets.US_ASCII);

	private final PrivateKey key;

	private final String signer;

	private final SignatureDigest digest;

	/**
	 * Creates a signer.
	 * @param key the RSA private key
	 * @param certificate the certificate of its public key, which the receivers trust
	 * @param digest the hash, as the receivers' {@code security_digest}
	 * @throws IllegalArgumentException if the key is not RSA or does not belong to the
	 * certificate
	 */
	public X509MessageSigner(PrivateKey key, X509Certificate certificate, SignatureDigest digest) {
		this.key = key;
		this.signer = SignerId.of(certificate).value();
		this.digest = digest;
		try {
			if (!digest.verify(certificate.getPublicKey(), PROBE, digest.sign(key, PROBE))) {
				throw new IllegalArgumentException("The private key does not belong to certificate '" + this.signer
						+ "' (" + certificate.getSubjectX500Principal() + ")");
			}
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("The private key cannot sign: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Returns how receivers know this signer.
	 * @return the {@link SignerId} of the certificate
	 */
	public String signer() {
		return this.signer;
	}

	@Override
	public MessagePayload sign(MessagePayload payload) {
		byte[] signature;
		try {
			signature = this.digest.sign(this.key, payload.body());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not sign a message: " + ex.getMessage(), ex);
		}
		AuthEnvelope envelope = new AuthEnvelope(this.signer, signature, payload.contentType(),
				payload.contentEncoding(), payload.body());
		return new MessagePayload(envelope.pack(), AuthEnvelope.CONTENT_TYPE, AuthEnvelope.CONTENT_ENCODING);
	}

}
