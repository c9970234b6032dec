package io.celeriac.security.x509;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * How Celery names the signer of a message: the values of the certificate's issuer name,
 * in the order the certificate holds them, then its serial number in decimal, all
 * separated by spaces (e.g. {@code Celeriac celeriac-test 4213...}). Issuer and serial
 * number identify a certificate.
 *
 * @param value the identifier as it travels in a signed message
 * @author Celeriac team
 */
public record SignerId(String value) {

	/**
	 * Returns the identifier of a certificate.
	 * @param certificate the certificate
	 * @return its identifier
	 * @throws IllegalArgumentException if the issuer name cannot be read
	 */
	public static SignerId of(X509Certificate certificate) {
		List<String> values = new ArrayList<>();
		try {
			LdapName issuer = new LdapName(certificate.getIssuerX500Principal().getName(X500Principal.RFC2253));
			// LdapName lists the RDNs from the end of the string: the certificate's order
			for (Rdn rdn : issuer.getRdns()) {
				NamingEnumeration<? extends Attribute> attributes = rdn.toAttributes().getAll();
				while (attributes.hasMore()) {
					Attribute attribute = attributes.next();
					NamingEnumeration<?> all = attribute.getAll();
					while (all.hasMore()) {
						values.add(text(all.next()));
					}
				}
			}
		}
		catch (NamingException ex) {
			throw new IllegalArgumentException("Cannot read the issuer of certificate "
					+ certificate.getSubjectX500Principal() + ": " + ex.getMessage(), ex);
		}
		values.add(certificate.getSerialNumber().toString());
		return new SignerId(String.join(" ", values));
	}

	private static String text(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
	}

	@Override
	public String toString() {
		return this.value;
	}

}
