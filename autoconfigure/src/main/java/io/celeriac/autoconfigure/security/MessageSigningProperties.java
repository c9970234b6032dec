package io.celeriac.autoconfigure.security;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for signed task messages, under {@code celeriac.security}:
 * Celery's {@code auth} serializer with an RSA key, its X.509 certificate and the
 * certificates of the trusted signers.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.security")
public class MessageSigningProperties {

	/**
	 * Whether task messages are signed when sent and verified when received (Celery's
	 * "auth" serializer, content type application/data). A worker then runs only messages
	 * signed by a trusted certificate and moves every other one to the error queue.
	 */
	private boolean enabled;

	/**
	 * The RSA private key that signs the messages this application sends (PKCS#8 or
	 * PKCS#1 PEM, unencrypted): a resource location such as 'file:/etc/celeriac/key.pem'
	 * or the PEM text itself. Celery's security_key.
	 */
	private @Nullable String key;

	/**
	 * The X.509 certificate of the key (PEM): a resource location or the PEM text. Its
	 * issuer and serial number name the signer in every message. Celery's
	 * security_certificate.
	 */
	private @Nullable String certificate;

	/**
	 * The certificates of the signers whose messages the worker runs: resource locations
	 * (patterns such as 'file:/etc/celeriac/trusted/*.pem' and directories are read file
	 * by file) or PEM texts. Empty means this application's own certificate only.
	 * Celery's security_cert_store.
	 */
	private List<String> trustedCertificates = new ArrayList<>();

	/**
	 * The hash of the RSA-PSS signatures, as Celery's security_digest names it: sha1,
	 * sha224, sha256, sha384 or sha512. Every producer and worker must use the same.
	 */
	private String digest = "sha256";

	/**
	 * Whether the worker also runs unsigned messages (signed ones are still verified),
	 * for the time it takes to move every producer to signing.
	 */
	private boolean acceptUnsigned;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getKey() {
		return this.key;
	}

	public void setKey(@Nullable String key) {
		this.key = key;
	}

	public @Nullable String getCertificate() {
		return this.certificate;
	}

	public void setCertificate(@Nullable String certificate) {
		this.certificate = certificate;
	}

	public List<String> getTrustedCertificates() {
		return this.trustedCertificates;
	}

	public void setTrustedCertificates(List<String> trustedCertificates) {
		this.trustedCertificates = trustedCertificates;
	}

	public String getDigest() {
		return this.digest;
	}

	public void setDigest(String digest) {
		this.digest = digest;
	}

	public boolean isAcceptUnsigned() {
		return this.acceptUnsigned;
	}

	public void setAcceptUnsigned(boolean acceptUnsigned) {
		this.acceptUnsigned = acceptUnsigned;
	}

}
