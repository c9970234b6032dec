package io.celeriac.test.security;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.InvalidTaskMessageException;
import io.celeriac.protocol.TaskBody;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.TimeLimit;
import io.celeriac.protocol.WireMessage;
import io.celeriac.security.MessagePayload;
import io.celeriac.security.MessageSignatureException;
import io.celeriac.security.MessageSignatureException.Reason;
import io.celeriac.security.x509.AuthEnvelope;
import io.celeriac.security.x509.Pem;
import io.celeriac.security.x509.SignatureDigest;
import io.celeriac.security.x509.SignerId;
import io.celeriac.security.x509.TrustedCertificates;
import io.celeriac.security.x509.X509MessageSigner;
import io.celeriac.security.x509.X509MessageVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Signing and verifying task messages in the envelope of Celery's {@code auth}
 * serializer, without a broker (the interoperability with Python Celery is in
 * {@code SignedMessageInteropTests}).
 *
 * @author Celeriac team
 */
class X509MessageSigningTests {

	private static final byte[] BODY = "[[6, 7], {}, {}]".getBytes(StandardCharsets.UTF_8);

	private static SigningCredentials alice;

	private static SigningCredentials mallory;

	@BeforeAll
	static void generate() {
		alice = SigningCredentials.generate("alice");
		mallory = SigningCredentials.generate("mallory");
	}

	@Test
	void signedPayloadIsCeleryAuthEnvelopeThatVerifiesToTheOriginalBody() {
		MessagePayload signed = signer(alice).sign(json(BODY));
		assertThat(signed.contentType()).isEqualTo("application/data");
		assertThat(signed.contentEncoding()).isEqualTo("utf-8");
		byte[] raw = Base64.getDecoder().decode(signed.body());
		String signer = alice.signer();
		assertThat(new String(raw, 0, signer.length(), StandardCharsets.UTF_8)).isEqualTo(signer);
		assertThat(Arrays.copyOfRange(raw, signer.length(), signer.length() + 2)).containsExactly(0, 1);
		// 2048-bit key: 256 signature bytes, then the inner content type, encoding and
		// body
		String rest = new String(raw, signer.length() + 2 + 256, raw.length - signer.length() - 2 - 256,
				StandardCharsets.UTF_8);
		assertThat(rest).isEqualTo("\u0000\u0001application/json\u0000\u0001utf-8\u0000\u0001[[6, 7], {}, {}]");
		MessagePayload verified = verifier(false, alice).verify(signed);
		assertThat(verified.body()).isEqualTo(BODY);
		assertThat(verified.contentType()).isEqualTo("application/json");
		assertThat(verified.contentEncoding()).isEqualTo("utf-8");
	}

	@Test
	void signerIsIssuerValuesInCertificateOrderThenDecimalSerial() {
		assertThat(SignerId.of(alice.certificate()).value())
			.isEqualTo("Celeriac tests alice " + alice.certificate().getSerialNumber());
	}

	@Test
	void changedBodyFailsVerification() {
		MessagePayload signed = signer(alice).sign(json(BODY));
		byte[] raw = Base64.getDecoder().decode(signed.body());
		assertThat((char) raw[raw.length - 11]).isEqualTo('7');
		raw[raw.length - 11] = '8';
		MessagePayload tampered = new MessagePayload(Base64.getEncoder().encode(raw), "application/data", "utf-8");
		assertThatExceptionOfType(MessageSignatureException.class)
			.isThrownBy(() -> verifier(false, alice).verify(tampered))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID_SIGNATURE))
			.withMessageContaining("does not match");
	}

	@Test
	void signerWhoseCertificateIsNotTrustedIsUnknown() {
		MessagePayload signed = signer(mallory).sign(json(BODY));
		assertThatExceptionOfType(MessageSignatureException.class)
			.isThrownBy(() -> verifier(false, alice).verify(signed))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.UNKNOWN_SIGNER))
			.withMessageContaining(mallory.signer())
			.withMessageContaining("celeriac.security.trusted-certificates");
	}

	@Test
	void signatureMadeWithAnotherKeyUnderTrustedSignerNameIsInvalid() {
		MessagePayload forged = signer(mallory).sign(json(BODY));
		AuthEnvelope envelope = AuthEnvelope.unpack(forged.body(), (signer) -> 256);
		byte[] packed = new AuthEnvelope(alice.signer(), envelope.signature(), envelope.contentType(),
				envelope.contentEncoding(), envelope.body())
			.pack();
		assertThatExceptionOfType(MessageSignatureException.class)
			.isThrownBy(() -> verifier(false, alice)
				.verify(new MessagePayload(packed, AuthEnvelope.CONTENT_TYPE, AuthEnvelope.CONTENT_ENCODING)))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID_SIGNATURE));
	}

	@Test
	void garbageUnderSignedContentTypeIsInvalid() {
		MessagePayload garbage = new MessagePayload("not base64!".getBytes(StandardCharsets.US_ASCII),
				AuthEnvelope.CONTENT_TYPE, AuthEnvelope.CONTENT_ENCODING);
		assertThatExceptionOfType(MessageSignatureException.class)
			.isThrownBy(() -> verifier(false, alice).verify(garbage))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID_SIGNATURE));
	}

	@Test
	void unsignedPayloadIsRefusedUnlessUnsignedAreAccepted() {
		assertThatExceptionOfType(MessageSignatureException.class)
			.isThrownBy(() -> verifier(false, alice).verify(json(BODY)))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.UNSIGNED))
			.withMessageContaining("celeriac.security.accept-unsigned");
		assertThat(verifier(true, alice).verify(json(BODY)).body()).isEqualTo(BODY);
	}

	@Test
	void signedPayloadIsVerifiedEvenWhenUnsignedAreAccepted() {
		MessagePayload signed = signer(mallory).sign(json(BODY));
		assertThatExceptionOfType(MessageSignatureException.class)
			.isThrownBy(() -> verifier(true, alice).verify(signed))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.UNKNOWN_SIGNER));
	}

	@Test
	void digestMustMatch() {
		MessagePayload signed = new X509MessageSigner(alice.privateKey(), alice.certificate(), SignatureDigest.SHA512)
			.sign(json(BODY));
		assertThatExceptionOfType(MessageSignatureException.class)
			.isThrownBy(() -> verifier(false, alice).verify(signed))
			.withMessageContaining("celeriac.security.digest is sha256");
	}

	@Test
	void keyOfAnotherCertificateIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new X509MessageSigner(mallory.privateKey(), alice.certificate(), SignatureDigest.SHA256))
			.withMessageContaining("does not belong to certificate '" + alice.signer() + "'");
	}

	@Test
	void pemReadsPkcs8AndPkcs1PrivateKeys() throws Exception {
		PrivateKey pkcs8 = Pem.privateKey(alice.privateKeyPem());
		assertThat(pkcs8.getEncoded()).isEqualTo(alice.privateKey().getEncoded());
		String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder().encodeToString(pkcs1(alice.privateKey().getEncoded()))
				+ "\n-----END RSA PRIVATE KEY-----\n";
		PrivateKey read = Pem.privateKey(pkcs1);
		RSAPrivateCrtKey expected = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
			.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(alice.privateKey().getEncoded()));
		assertThat(((RSAPrivateCrtKey) read).getPrivateExponent()).isEqualTo(expected.getPrivateExponent());
		assertThat(((RSAPrivateCrtKey) read).getModulus()).isEqualTo(expected.getModulus());
	}

	@Test
	void pemSaysWhatIsMissing() {
		assertThatIllegalArgumentException().isThrownBy(() -> Pem.privateKey(alice.certificatePem()))
			.withMessageContaining("BEGIN PRIVATE KEY");
		assertThatIllegalArgumentException().isThrownBy(() -> Pem.certificates(alice.privateKeyPem()))
			.withMessageContaining("BEGIN CERTIFICATE");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Pem
				.privateKey("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"))
			.withMessageContaining("encrypted");
	}

	@Test
	void trustedCertificatesRefuseDuplicates() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TrustedCertificates(List.of(alice.certificate(), alice.certificate())))
			.withMessageContaining("Two certificates");
	}

	@Test
	void trustedCertificatesRefuseExpiredOnes() {
		SigningCredentials expired = SigningCredentials.generateExpired("expired");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TrustedCertificates(List.of(alice.certificate(), expired.certificate())))
			.withMessageContaining("'" + expired.signer() + "'")
			.withMessageContaining("expired");
	}

	@Test
	void protocolSignsWhatItEncodesAndVerifiesWhatItDecodes() {
		JsonMapper mapper = JsonMapper.builder().build();
		CeleryProtocol signing = new CeleryProtocol(mapper, signer(alice), verifier(false, alice));
		TaskMessage message = new TaskMessage(
				new TaskHeaders("java", "jservice.multiply", "id-1", null, null, null, null, null, 0, TimeLimit.NONE,
						"id-1", null, "(6, 7)", "{}", "test", false, Map.of()),
				new TaskBody(mapper.createArrayNode().add(6).add(7), mapper.createObjectNode(), signing.emptyEmbed()),
				"", 0, null);
		WireMessage wire = signing.encode(message);
		assertThat(wire.contentType()).isEqualTo(CeleryProtocol.SIGNED_CONTENT_TYPE);
		TaskMessage decoded = signing.decode(wire);
		assertThat(decoded.body().args()).isEqualTo(message.body().args());
		assertThat(decoded.id()).isEqualTo("id-1");
		assertThatExceptionOfType(InvalidTaskMessageException.class)
			.isThrownBy(() -> signing.decode(new CeleryProtocol(mapper).encode(message)))
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(ErrorKind.UNSIGNED_MESSAGE));
		assertThatExceptionOfType(InvalidTaskMessageException.class)
			.isThrownBy(() -> new CeleryProtocol(mapper).decode(wire))
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(ErrorKind.UNSUPPORTED_CONTENT_TYPE))
			.withMessageContaining("celeriac.security.enabled=true");
	}

	private static MessagePayload json(byte[] body) {
		return new MessagePayload(body, "application/json", "utf-8");
	}

	private static X509MessageSigner signer(SigningCredentials credentials) {
		return new X509MessageSigner(credentials.privateKey(), credentials.certificate(), SignatureDigest.SHA256);
	}

	private static X509MessageVerifier verifier(boolean acceptUnsigned, SigningCredentials... trusted) {
		return new X509MessageVerifier(
				new TrustedCertificates(Arrays.stream(trusted).map(SigningCredentials::certificate).toList()),
				SignatureDigest.SHA256, acceptUnsigned);
	}

	/**
	 * The PKCS#1 key inside a PKCS#8 {@code PrivateKeyInfo}: the content of its last
	 * element, the OCTET STRING.
	 */
	private static byte[] pkcs1(byte[] pkcs8) {
		int[] position = { 0 };
		readHeader(pkcs8, position); // SEQUENCE
		skip(pkcs8, position); // version
		skip(pkcs8, position); // algorithm
		int length = readHeader(pkcs8, position); // OCTET STRING
		return Arrays.copyOfRange(pkcs8, position[0], position[0] + length);
	}

	private static int readHeader(byte[] der, int[] position) {
		position[0]++;
		int first = der[position[0]++] & 0xff;
		if (first < 0x80) {
			return first;
		}
		int length = 0;
		for (int i = 0; i < (first & 0x7f); i++) {
			length = (length << 8) | (der[position[0]++] & 0xff);
		}
		return length;
	}

	private static void skip(byte[] der, int[] position) {
		int length = readHeader(der, position);
		position[0] += length;
	}

}
