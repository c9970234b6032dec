package io.celeriac.security.x509;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;

import io.celeriac.security.MessagePayload;
import io.celeriac.security.MessageSignatureException;
import io.celeriac.security.MessageSignatureException.Reason;
import io.celeriac.security.MessageVerifier;

/**
 * Verifies messages signed by Celery 5.2.6's {@code auth} serializer (or by
 * {@link X509MessageSigner}) against trusted certificates before anything in them is
 * read, and refuses unsigned ones unless told to accept them.
 *
 * @author Celeriac team
 */
public final class X509MessageVerifier implements MessageVerifier {

	private final TrustedCertificates trusted;

	private final SignatureDigest digest;

	private final boolean acceptUnsigned;

	/**
	 * Creates a verifier.
	 * @param trusted the certificates of the signers whose messages are run
	 * @param digest the hash the signers use
	 * @param acceptUnsigned whether an unsigned message passes (while producers are moved
	 * to signing); a signed one is verified either way
	 */
	public X509MessageVerifier(TrustedCertificates trusted, SignatureDigest digest, boolean acceptUnsigned) {
		this.trusted = trusted;
		this.digest = digest;
		this.acceptUnsigned = acceptUnsigned;
	}

	@Override
	public MessagePayload verify(MessagePayload payload) {
		if (!AuthEnvelope.CONTENT_TYPE.equalsIgnoreCase(payload.contentType())) {
			if (this.acceptUnsigned) {
				return payload;
			}
			throw new MessageSignatureException(Reason.UNSIGNED, "The message is not signed (content type '"
					+ payload.contentType() + "'), and this worker runs only messages signed by a trusted certificate"
					+ " (content type " + AuthEnvelope.CONTENT_TYPE + "). Sign it: Celery with task_serializer='auth' "
					+ "and app.setup_security(), Celeriac with celeriac.security.enabled=true; or accept unsigned "
					+ "messages for a while with celeriac.security.accept-unsigned=true");
		}
		AuthEnvelope envelope;
		try {
			envelope = AuthEnvelope.unpack(payload.body(), this::signatureLength);
		}
		catch (AuthEnvelope.UnknownSigner ex) {
			throw new MessageSignatureException(Reason.UNKNOWN_SIGNER,
					"The message is signed by '" + ex.signer() + "', whose certificate is not trusted; trusted are "
							+ this.trusted.signers()
							+ ". Add its certificate to celeriac.security.trusted-certificates to run its messages",
					ex);
		}
		catch (IllegalArgumentException ex) {
			throw new MessageSignatureException(Reason.INVALID_SIGNATURE,
					"The signed message cannot be read (" + ex.getMessage() + ")", ex);
		}
		X509Certificate certificate = this.trusted.get(envelope.signer());
		boolean valid;
		try {
			valid = certificate != null
					&& this.digest.verify(certificate.getPublicKey(), envelope.body(), envelope.signature());
		}
		catch (GeneralSecurityException ex) {
			valid = false;
		}
		if (!valid) {
			throw new MessageSignatureException(Reason.INVALID_SIGNATURE,
					"The signature does not match the message: it was changed after '" + envelope.signer()
							+ "' signed it, or signed with another key or digest (celeriac.security.digest is "
							+ this.digest.celeryName() + ")");
		}
		return new MessagePayload(envelope.body(), envelope.contentType(), envelope.contentEncoding());
	}

	private int signatureLength(String signer) {
		X509Certificate certificate = this.trusted.get(signer);
		if (certificate == null) {
			return -1;
		}
		return ((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength() >> 3;
	}

}
