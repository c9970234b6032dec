package io.celeriac.test.celery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.test.security.SigningCredentials;

/**
 * Celery's message signing settings for the Python app of {@link PythonCelery}: with them
 * it sends and accepts only messages of the {@code auth} serializer
 * ({@code task_serializer='auth'}, {@code accept_content=['auth']},
 * {@code app.setup_security()}).
 *
 * @param key the file of the private key ({@code security_key})
 * @param certificate the file of its certificate ({@code security_certificate})
 * @param certificateStore the directory of the trusted certificates
 * ({@code security_cert_store}; every file in it)
 * @param digest the hash ({@code security_digest}), e.g. {@code sha256}
 * @author Celeriac team
 */
public record CelerySecurity(Path key, Path certificate, Path certificateStore, String digest) {

	/**
	 * Writes the files of a Python app that signs with {@code own} and trusts the
	 * {@code trusted} certificates, under {@code directory}, with digest {@code sha256}.
	 * @param directory where to write {@code python.key}, {@code python.pem} and the
	 * store {@code trusted/}
	 * @param own the Python app's key and certificate
	 * @param trusted the signers whose messages its worker runs
	 * @return the settings
	 */
	public static CelerySecurity write(Path directory, SigningCredentials own, List<SigningCredentials> trusted) {
		Path store = directory.resolve("trusted");
		try {
			Files.createDirectories(store);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create " + store, ex);
		}
		for (int i = 0; i < trusted.size(); i++) {
			trusted.get(i).writeCertificate(store, "trusted-" + i);
		}
		return new CelerySecurity(own.writeKey(directory, "python"), own.writeCertificate(directory, "python"), store,
				"sha256");
	}

	/**
	 * Returns the environment variables that configure {@code celeriac_interop.py} with
	 * these settings.
	 * @return the variables
	 */
	public Map<String, String> environment() {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("INTEROP_SECURITY_KEY", this.key.toString());
		environment.put("INTEROP_SECURITY_CERTIFICATE", this.certificate.toString());
		environment.put("INTEROP_SECURITY_CERT_STORE", this.certificateStore.toString());
		environment.put("INTEROP_SECURITY_DIGEST", this.digest);
		return environment;
	}

}
