package io.celeriac.autoconfigure.security;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.security.MessageSigner;
import io.celeriac.security.MessageVerifier;
import io.celeriac.security.x509.Pem;
import io.celeriac.security.x509.SignatureDigest;
import io.celeriac.security.x509.TrustedCertificates;
import io.celeriac.security.x509.X509MessageSigner;
import io.celeriac.security.x509.X509MessageVerifier;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for signed task messages, on with
 * {@code celeriac.security.enabled=true}: the {@link MessageSigner} every task message is
 * signed with when sent and the {@link MessageVerifier} every one is checked with when
 * received, in the format of Celery's {@code auth} serializer.
 *
 * @author Celeriac team
 */
@AutoConfiguration(before = TaskAutoConfiguration.class)
@ConditionalOnBooleanProperty("celeriac.security.enabled")
@EnableConfigurationProperties(MessageSigningProperties.class)
public final class MessageSigningAutoConfiguration {

	private static final String KEY = "celeriac.security.key";

	private static final String CERTIFICATE = "celeriac.security.certificate";

	private static final String TRUSTED = "celeriac.security.trusted-certificates";

	private static final String DIGEST = "celeriac.security.digest";

	@Bean
	@ConditionalOnMissingBean
	MessageSigner celeriacMessageSigner(MessageSigningProperties properties, ResourceLoader resourceLoader) {
		PemSource source = new PemSource(ResourcePatternUtils.getResourcePatternResolver(resourceLoader));
		PrivateKey key = privateKey(source, properties.getKey());
		X509Certificate certificate = certificate(source, properties.getCertificate());
		try {
			return new X509MessageSigner(key, certificate, digest(properties));
		}
		catch (IllegalArgumentException ex) {
			throw new MessageSigningConfigurationException(KEY,
					"cannot sign for " + CERTIFICATE + ": " + ex.getMessage(), ex);
		}
	}

	@Bean
	@ConditionalOnMissingBean
	MessageVerifier celeriacMessageVerifier(MessageSigningProperties properties, ResourceLoader resourceLoader) {
		PemSource source = new PemSource(ResourcePatternUtils.getResourcePatternResolver(resourceLoader));
		List<X509Certificate> certificates = new ArrayList<>();
		if (properties.getTrustedCertificates().isEmpty()) {
			certificates.add(certificate(source, properties.getCertificate()));
		}
		for (String value : properties.getTrustedCertificates()) {
			for (PemSource.Text text : source.read(TRUSTED, value)) {
				try {
					certificates.addAll(Pem.certificates(text.pem()));
				}
				catch (IllegalArgumentException ex) {
					throw new MessageSigningConfigurationException(TRUSTED,
							"gives " + text.origin() + ", which is not a certificate: " + ex.getMessage(), ex);
				}
			}
		}
		try {
			return new X509MessageVerifier(new TrustedCertificates(certificates), digest(properties),
					properties.isAcceptUnsigned());
		}
		catch (IllegalArgumentException ex) {
			String property = properties.getTrustedCertificates().isEmpty() ? CERTIFICATE : TRUSTED;
			throw new MessageSigningConfigurationException(property,
					"gives an unusable certificate: " + ex.getMessage(), ex);
		}
	}

	private static PrivateKey privateKey(PemSource source, @Nullable String value) {
		PemSource.Text text = single(source, KEY, value, "the RSA private key that signs the messages");
		try {
			return Pem.privateKey(text.pem());
		}
		catch (IllegalArgumentException ex) {
			throw new MessageSigningConfigurationException(KEY,
					"gives " + text.origin() + ", which is not a usable private key: " + ex.getMessage(), ex);
		}
	}

	private static X509Certificate certificate(PemSource source, @Nullable String value) {
		PemSource.Text text = single(source, CERTIFICATE, value, "the X.509 certificate of the signing key");
		try {
			return Pem.certificates(text.pem()).get(0);
		}
		catch (IllegalArgumentException ex) {
			throw new MessageSigningConfigurationException(CERTIFICATE,
					"gives " + text.origin() + ", which is not a certificate: " + ex.getMessage(), ex);
		}
	}

	private static PemSource.Text single(PemSource source, String property, @Nullable String value, String what) {
		if (value == null || value.isBlank()) {
			throw new MessageSigningConfigurationException(property, "is not set; it gives " + what);
		}
		List<PemSource.Text> texts = source.read(property, value);
		if (texts.size() != 1) {
			throw new MessageSigningConfigurationException(property,
					"names " + texts.size() + " resources; it must name one");
		}
		return texts.get(0);
	}

	private static SignatureDigest digest(MessageSigningProperties properties) {
		try {
			return SignatureDigest.of(properties.getDigest());
		}
		catch (IllegalArgumentException ex) {
			throw new MessageSigningConfigurationException(DIGEST, "is '" + properties.getDigest()
					+ "', which is not a digest Celery signs with; use one of " + SignatureDigest.names(), ex);
		}
	}

}
