package io.celeriac.security.x509;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The certificates whose holders may sign the messages a worker runs, by
 * {@link SignerId}: Celery's certificate store ({@code security_cert_store}). As there,
 * an expired certificate or two with the same issuer and serial number are refused.
 *
 * @author Celeriac team
 */
public final class TrustedCertificates {

	private final Map<String, X509Certificate> certificates;

	/**
	 * Creates a store.
	 * @param certificates the trusted certificates, each with an RSA public key
	 * @throws IllegalArgumentException if there is none, or one has expired, is not yet
	 * valid, has no RSA key, or has the identifier of another
	 */
	public TrustedCertificates(Collection<X509Certificate> certificates) {
		if (certificates.isEmpty()) {
			throw new IllegalArgumentException("No trusted certificate given");
		}
		Map<String, X509Certificate> byId = new LinkedHashMap<>();
		for (X509Certificate certificate : certificates) {
			SignerId id = SignerId.of(certificate);
			try {
				certificate.checkValidity();
			}
			catch (CertificateExpiredException ex) {
				throw new IllegalArgumentException("Certificate '" + id + "' (" + certificate.getSubjectX500Principal()
						+ ") expired on " + certificate.getNotAfter().toInstant(), ex);
			}
			catch (CertificateNotYetValidException ex) {
				throw new IllegalArgumentException("Certificate '" + id + "' (" + certificate.getSubjectX500Principal()
						+ ") is not valid before " + certificate.getNotBefore().toInstant(), ex);
			}
			if (!(certificate.getPublicKey() instanceof RSAPublicKey)) {
				throw new IllegalArgumentException("Certificate '" + id + "' has a "
						+ certificate.getPublicKey().getAlgorithm() + " key; Celery signs with RSA keys only");
			}
			if (byId.putIfAbsent(id.value(), certificate) != null) {
				throw new IllegalArgumentException("Two certificates have the issuer and serial number '" + id + "'");
			}
		}
		this.certificates = Collections.unmodifiableMap(byId);
	}

	/**
	 * Returns the certificate of a signer.
	 * @param signer the signer as a message names it
	 * @return its certificate, or {@code null} when it is not trusted
	 */
	public @Nullable X509Certificate get(String signer) {
		return this.certificates.get(signer);
	}

	/**
	 * Returns the identifiers of the trusted certificates.
	 * @return the signers, in the order given
	 */
	public Collection<String> signers() {
		return this.certificates.keySet();
	}

}
