package io.celeriac.security.x509;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.ToIntFunction;

import org.jspecify.annotations.Nullable;

/**
 * The body of a message signed by Celery's {@code auth} serializer (content type
 * {@code application/data}): the base64 of signer, signature, inner content type, inner
 * content encoding and inner body, separated by the two bytes {@code \x00\x01}. The
 * signature is read by its length (the signer's key size), since it may contain the
 * separator.
 *
 * @param signer the signer's {@link SignerId}
 * @param signature the signature of {@code body}
 * @param contentType the content type of the signed body, e.g. {@code application/json}
 * @param contentEncoding its encoding, e.g. {@code utf-8}
 * @param body the signed body
 * @author Celeriac team
 */
public record AuthEnvelope(String signer, byte[] signature, String contentType, String contentEncoding, byte[] body) {

	/**
	 * The content type of a signed message.
	 */
	public static final String CONTENT_TYPE = "application/data";

	/**
	 * The content encoding of a signed message.
	 */
	public static final String CONTENT_ENCODING = "utf-8";

	private static final byte[] SEPARATOR = { 0x00, 0x01 };

	/**
	 * Returns the message body: the base64 text as ASCII bytes.
	 * @return the body to publish
	 */
	public byte[] pack() {
		ByteArrayOutputStream fields = new ByteArrayOutputStream(this.body.length + this.signature.length + 256);
		fields.writeBytes(this.signer.getBytes(StandardCharsets.UTF_8));
		fields.writeBytes(SEPARATOR);
		fields.writeBytes(this.signature);
		fields.writeBytes(SEPARATOR);
		fields.writeBytes(this.contentType.getBytes(StandardCharsets.UTF_8));
		fields.writeBytes(SEPARATOR);
		fields.writeBytes(this.contentEncoding.getBytes(StandardCharsets.UTF_8));
		fields.writeBytes(SEPARATOR);
		fields.writeBytes(this.body);
		return Base64.getEncoder().encode(fields.toByteArray());
	}

	/**
	 * Reads a signed message body as Celery 5.2.6 does.
	 * @param packed the message body (base64 text)
	 * @param signatureLength the signature length in bytes of the signer it names, or a
	 * negative number for a signer that is not known
	 * @return the envelope
	 * @throws UnknownSigner if {@code signatureLength} does not know the signer
	 * @throws IllegalArgumentException if the body is not such an envelope
	 */
	public static AuthEnvelope unpack(byte[] packed, ToIntFunction<String> signatureLength) {
		byte[] raw;
		try {
			raw = Base64.getMimeDecoder().decode(packed);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("the body is not base64: " + ex.getMessage(), ex);
		}
		int first = indexOf(raw, 0);
		if (first < 0) {
			throw new IllegalArgumentException("the body has no signer field");
		}
		String signer = new String(raw, 0, first, StandardCharsets.UTF_8);
		int length = signatureLength.applyAsInt(signer);
		if (length < 0) {
			throw new UnknownSigner(signer);
		}
		int signatureStart = first + SEPARATOR.length;
		int signatureEnd = signatureStart + length;
		if (signatureEnd + SEPARATOR.length > raw.length || raw[signatureEnd] != SEPARATOR[0]
				|| raw[signatureEnd + 1] != SEPARATOR[1]) {
			throw new IllegalArgumentException("the signature is not the " + length + " bytes the signer's key makes");
		}
		byte[] signature = Arrays.copyOfRange(raw, signatureStart, signatureEnd);
		int typeStart = signatureEnd + SEPARATOR.length;
		int typeEnd = indexOf(raw, typeStart);
		int encodingEnd = (typeEnd < 0) ? -1 : indexOf(raw, typeEnd + SEPARATOR.length);
		if (encodingEnd < 0) {
			throw new IllegalArgumentException("the content type and encoding fields are missing");
		}
		String contentType = new String(raw, typeStart, typeEnd - typeStart, StandardCharsets.UTF_8);
		int encodingStart = typeEnd + SEPARATOR.length;
		String contentEncoding = new String(raw, encodingStart, encodingEnd - encodingStart, StandardCharsets.UTF_8);
		byte[] body = Arrays.copyOfRange(raw, encodingEnd + SEPARATOR.length, raw.length);
		return new AuthEnvelope(signer, signature, contentType, contentEncoding, body);
	}

	private static int indexOf(byte[] raw, int from) {
		for (int i = from; i < raw.length - 1; i++) {
			if (raw[i] == SEPARATOR[0] && raw[i + 1] == SEPARATOR[1]) {
				return i;
			}
		}
		return -1;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof AuthEnvelope that) && this.signer.equals(that.signer)
				&& Arrays.equals(this.signature, that.signature) && this.contentType.equals(that.contentType)
				&& this.contentEncoding.equals(that.contentEncoding) && Arrays.equals(this.body, that.body);
	}

	@Override
	public int hashCode() {
		return 31 * this.signer.hashCode() + Arrays.hashCode(this.signature);
	}

	@Override
	public String toString() {
		return "AuthEnvelope[signer=" + this.signer + ", contentType=" + this.contentType + ", " + this.body.length
				+ " bytes]";
	}

	/**
	 * Thrown by {@link #unpack} when the envelope names a signer that is not known.
	 */
	public static final class UnknownSigner extends RuntimeException {

		private final String signer;

		UnknownSigner(String signer) {
			super("Unknown signer '" + signer + "'");
			this.signer = signer;
		}

		/**
		 * Returns the signer the envelope names.
		 * @return its {@link SignerId} value
		 */
		public String signer() {
			return this.signer;
		}

	}

}
