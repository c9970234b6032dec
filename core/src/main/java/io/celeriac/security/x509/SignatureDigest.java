package io.celeriac.security.x509;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The hash of an RSA-PSS signature, named as Celery's {@code security_digest} names it
 * ({@code sha256} by default). Celery 5.2.6 signs with PSS, MGF1 over the same hash and
 * the largest salt the key allows; so does this.
 *
 * @author Celeriac team
 */
public enum SignatureDigest {

	/**
	 * SHA-1, for old certificates only.
	 */
	SHA1("sha1", "SHA-1", 20),

	/**
	 * SHA-224.
	 */
	SHA224("sha224", "SHA-224", 28),

	/**
	 * SHA-256, Celery's default.
	 */
	SHA256("sha256", "SHA-256", 32),

	/**
	 * SHA-384.
	 */
	SHA384("sha384", "SHA-384", 48),

	/**
	 * SHA-512.
	 */
	SHA512("sha512", "SHA-512", 64);

	private final String celeryName;

	private final String javaName;

	private final int length;

	SignatureDigest(String celeryName, String javaName, int length) {
		this.celeryName = celeryName;
		this.javaName = javaName;
		this.length = length;
	}

	/**
	 * Returns the digest that Celery's {@code security_digest} names.
	 * @param name e.g. {@code sha256} (case does not matter)
	 * @return the digest
	 * @throws IllegalArgumentException if the name is not one of {@link #names()}
	 */
	public static SignatureDigest of(String name) {
		String wanted = name.strip().toLowerCase(Locale.ROOT).replace("-", "");
		for (SignatureDigest digest : values()) {
			if (digest.celeryName.equals(wanted)) {
				return digest;
			}
		}
		throw new IllegalArgumentException("Unknown digest '" + name + "'; use one of " + names());
	}

	/**
	 * Returns the names {@link #of(String)} accepts.
	 * @return e.g. {@code sha1, sha224, sha256, sha384, sha512}
	 */
	public static String names() {
		return Arrays.stream(values()).map(SignatureDigest::celeryName).collect(Collectors.joining(", "));
	}

	/**
	 * Returns the name Celery gives it.
	 * @return e.g. {@code sha256}
	 */
	public String celeryName() {
		return this.celeryName;
	}

	byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
		Signature signature = signature(key);
		signature.initSign(key);
		signature.update(data);
		return signature.sign();
	}

	boolean verify(PublicKey key, byte[] data, byte[] signed) throws GeneralSecurityException {
		Signature signature = signature(key);
		signature.initVerify(key);
		signature.update(data);
		return signature.verify(signed);
	}

	private Signature signature(Key key) throws GeneralSecurityException {
		if (!(key instanceof RSAKey rsa)) {
			throw new GeneralSecurityException(
					"Only RSA keys can sign (Celery signs with RSA-PSS); this one is " + key.getAlgorithm());
		}
		// cryptography's PSS.MAX_LENGTH: the encoded message length less the hash and two
		// bytes
		int encodedLength = (rsa.getModulus().bitLength() + 6) / 8;
		int saltLength = encodedLength - this.length - 2;
		Signature signature = Signature.getInstance("RSASSA-PSS");
		signature.setParameter(
				new PSSParameterSpec(this.javaName, "MGF1", new MGF1ParameterSpec(this.javaName), saltLength, 1));
		return signature;
	}

}
