package io.celeriac.security.x509;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads RSA private keys and X.509 certificates from PEM text as OpenSSL, Python's
 * {@code cryptography} and {@code keytool} write them: {@code PRIVATE KEY} (PKCS#8),
 * {@code RSA PRIVATE KEY} (PKCS#1) and {@code CERTIFICATE}. Encrypted keys are not read.
 *
 * @author Celeriac team
 */
public final class Pem {

	private static final Pattern BLOCK = Pattern
		.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

	// AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters
	private static final byte[] RSA_ALGORITHM = { 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
			(byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };

	private Pem() {
	}

	/**
	 * Returns whether the text holds a PEM block rather than, say, a file name.
	 * @param text the text
	 * @return whether it contains {@code -----BEGIN}
	 */
	public static boolean isPem(String text) {
		return text.contains("-----BEGIN ");
	}

	/**
	 * Reads the first private key of the text.
	 * @param pem PEM text with a {@code PRIVATE KEY} or {@code RSA PRIVATE KEY} block
	 * @return the key
	 * @throws IllegalArgumentException if there is no such block or it is not a readable
	 * RSA key (the message says which)
	 */
	public static PrivateKey privateKey(String pem) {
		Matcher matcher = BLOCK.matcher(pem);
		while (matcher.find()) {
			String type = matcher.group(1);
			if (type.equals("ENCRYPTED PRIVATE KEY")) {
				throw new IllegalArgumentException("The private key is encrypted; give it unencrypted (e.g. 'openssl "
						+ "pkey -in key.pem -out plain.pem'), as Celery reads its security_key");
			}
			if (!type.equals("PRIVATE KEY") && !type.equals("RSA PRIVATE KEY")) {
				continue;
			}
			byte[] der = decode(matcher.group(2), type);
			try {
				return rsa(type.equals("PRIVATE KEY") ? der : pkcs8(der));
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalArgumentException("The " + type + " block is not an RSA private key ("
						+ ex.getMessage() + "); Celery signs with RSA keys only", ex);
			}
		}
		throw new IllegalArgumentException(
				"No '-----BEGIN PRIVATE KEY-----' or '-----BEGIN RSA PRIVATE KEY-----' block found");
	}

	/**
	 * Reads every certificate of the text.
	 * @param pem PEM text with one or more {@code CERTIFICATE} blocks
	 * @return the certificates, in order
	 * @throws IllegalArgumentException if there is none or one cannot be read
	 */
	public static List<X509Certificate> certificates(String pem) {
		List<X509Certificate> certificates = new ArrayList<>();
		Matcher matcher = BLOCK.matcher(pem);
		while (matcher.find()) {
			if (!matcher.group(1).equals("CERTIFICATE")) {
				continue;
			}
			byte[] der = decode(matcher.group(2), "CERTIFICATE");
			try {
				Certificate certificate = CertificateFactory.getInstance("X.509")
					.generateCertificate(new ByteArrayInputStream(der));
				certificates.add((X509Certificate) certificate);
			}
			catch (CertificateException ex) {
				throw new IllegalArgumentException(
						"A CERTIFICATE block is not an X.509 certificate: " + ex.getMessage(), ex);
			}
		}
		if (certificates.isEmpty()) {
			throw new IllegalArgumentException("No '-----BEGIN CERTIFICATE-----' block found");
		}
		return certificates;
	}

	/**
	 * Writes a certificate as PEM.
	 * @param certificate the certificate
	 * @return its {@code CERTIFICATE} block
	 */
	public static String write(X509Certificate certificate) {
		try {
			return block("CERTIFICATE", certificate.getEncoded());
		}
		catch (CertificateException ex) {
			throw new IllegalArgumentException("Cannot encode " + certificate.getSubjectX500Principal(), ex);
		}
	}

	/**
	 * Writes a private key as PKCS#8 PEM.
	 * @param key the key
	 * @return its {@code PRIVATE KEY} block
	 */
	public static String write(PrivateKey key) {
		return block("PRIVATE KEY", key.getEncoded());
	}

	private static String block(String type, byte[] der) {
		String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
		return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
	}

	private static byte[] decode(String base64, String type) {
		try {
			return Base64.getMimeDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("The " + type + " block is not valid base64: " + ex.getMessage(), ex);
		}
	}

	private static PrivateKey rsa(byte[] pkcs8) throws GeneralSecurityException {
		return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
	}

	/**
	 * Wraps a PKCS#1 {@code RSAPrivateKey} in a PKCS#8 {@code PrivateKeyInfo}, which the
	 * JDK reads: {@code SEQUENCE { INTEGER 0, rsaEncryption, OCTET STRING pkcs1 }}.
	 */
	private static byte[] pkcs8(byte[] pkcs1) {
		ByteArrayOutputStream content = new ByteArrayOutputStream();
		content.writeBytes(new byte[] { 0x02, 0x01, 0x00 });
		content.writeBytes(RSA_ALGORITHM);
		content.writeBytes(tagged(0x04, pkcs1));
		return tagged(0x30, content.toByteArray());
	}

	private static byte[] tagged(int tag, byte[] content) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(tag);
		int length = content.length;
		if (length < 0x80) {
			out.write(length);
		}
		else {
			byte[] bytes = BigInteger.valueOf(length).toByteArray();
			int start = (bytes[0] == 0) ? 1 : 0;
			out.write(0x80 | (bytes.length - start));
			out.write(bytes, start, bytes.length - start);
		}
		out.writeBytes(content);
		return out.toByteArray();
	}

}
