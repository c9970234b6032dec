package io.celeriac.test.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.celeriac.security.x509.Pem;
import io.celeriac.security.x509.SignerId;

/**
 * A throwaway RSA key with a self-signed X.509 certificate, made for one test run by the
 * JDK's own {@code keytool} (so nothing but a JDK is needed), as PEM for Celeriac's
 * {@code celeriac.security.*} and Celery's {@code security_key} /
 * {@code security_certificate}.
 *
 * <pre class="code">
 * SigningCredentials alice = SigningCredentials.generate("alice");
 * Path key = alice.writeKey(directory);
 * Path certificate = alice.writeCertificate(directory);
 * </pre>
 *
 * @param privateKey the RSA private key (2048 bits)
 * @param certificate its self-signed certificate, valid from yesterday for three days
 * @author Celeriac team
 */
public record SigningCredentials(PrivateKey privateKey, X509Certificate certificate) {

	private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);

	/**
	 * Generates a key and a certificate for {@code CN=<commonName>, O=Celeriac tests}.
	 * @param commonName the certificate's common name, e.g. {@code alice}
	 * @return the credentials
	 * @throws IllegalStateException if {@code keytool} fails (the message has its output)
	 */
	public static SigningCredentials generate(String commonName) {
		return generate("CN=" + commonName + ", O=Celeriac tests", "-1d", 3);
	}

	/**
	 * Generates a key and a certificate whose subject and issuer are the given
	 * distinguished name, as {@code keytool -dname} reads it.
	 * @param distinguishedName e.g. {@code EMAILADDRESS=ops@example.com, CN=ops, C=DE}
	 * @return the credentials
	 */
	public static SigningCredentials generateFor(String distinguishedName) {
		return generate(distinguishedName, "-1d", 3);
	}

	/**
	 * Generates a key and a certificate for {@code CN=<commonName>, O=Celeriac tests}
	 * that expired yesterday, to test that it is refused.
	 * @param commonName the certificate's common name
	 * @return the credentials
	 */
	public static SigningCredentials generateExpired(String commonName) {
		return generate("CN=" + commonName + ", O=Celeriac tests", "-3d", 2);
	}

	private static SigningCredentials generate(String distinguishedName, String startDate, int validityDays) {
		Path directory = null;
		try {
			directory = Files.createTempDirectory("celeriac-signing");
			Path store = directory.resolve("signer.p12");
			char[] password = UUID.randomUUID().toString().toCharArray();
			Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
			ProcessBuilder builder = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "signer",
					"-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA", "-startdate", startDate,
					"-validity", String.valueOf(validityDays), "-dname", distinguishedName, "-storetype", "PKCS12",
					"-keystore", store.toString(), "-storepass", new String(password), "-keypass", new String(password))
				.redirectErrorStream(true);
			Process process = builder.start();
			String output;
			try (InputStream in = process.getInputStream()) {
				if (!process.waitFor(KEYTOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException("keytool did not finish within " + KEYTOOL_TIMEOUT);
				}
				output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("keytool failed (exit code " + process.exitValue() + "): " + output);
			}
			KeyStore keys = KeyStore.getInstance("PKCS12");
			try (InputStream in = Files.newInputStream(store)) {
				keys.load(in, password);
			}
			return new SigningCredentials((PrivateKey) keys.getKey("signer", password),
					(X509Certificate) keys.getCertificate("signer"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not generate a signing key", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not read the key keytool generated", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while generating a signing key", ex);
		}
		finally {
			if (directory != null) {
				delete(directory);
			}
		}
	}

	/**
	 * Returns the private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}).
	 * @return the PEM text
	 */
	public String privateKeyPem() {
		return Pem.write(this.privateKey);
	}

	/**
	 * Returns the certificate as PEM.
	 * @return the PEM text
	 */
	public String certificatePem() {
		return Pem.write(this.certificate);
	}

	/**
	 * Returns how a signed message names this signer (Celery's issuer and serial number).
	 * @return the signer
	 */
	public String signer() {
		return SignerId.of(this.certificate).value();
	}

	/**
	 * Writes the private key to {@code <directory>/<name>.key} (PKCS#8 PEM).
	 * @param directory the directory
	 * @param name the file name without extension
	 * @return the file
	 */
	public Path writeKey(Path directory, String name) {
		return write(directory.resolve(name + ".key"), privateKeyPem());
	}

	/**
	 * Writes the certificate to {@code <directory>/<name>.pem}.
	 * @param directory the directory
	 * @param name the file name without extension
	 * @return the file
	 */
	public Path writeCertificate(Path directory, String name) {
		return write(directory.resolve(name + ".pem"), certificatePem());
	}

	private static Path write(Path file, String text) {
		try {
			Files.createDirectories(file.getParent());
			return Files.writeString(file, text, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + file, ex);
		}
	}

	private static void delete(Path directory) {
		try (var files = Files.list(directory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Files.deleteIfExists(file);
			}
			Files.deleteIfExists(directory);
		}
		catch (IOException ex) {
			// a temporary directory: the system removes it in the end
		}
	}

	@Override
	public String toString() {
		return "SigningCredentials[" + signer() + "]";
	}

}
