package io.celeriac.security.x509;

import java.nio.charset.Charset;
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
		if (!(value instanceof byte[] der) || der.length < 2) {
			return value.toString();
		}
		// RFC 2253 writes values of attributes it has no keyword for (e.g. emailAddress)
		// as the DER encoding of the string: tag, length, content
		int offset = 2;
		int length = der[1] & 0xff;
		if (length >= 0x80) {
			length = 0;
			for (int i = 0; i < (der[1] & 0x7f) && offset < der.length; i++) {
				length = (length << 8) | (der[offset++] & 0xff);
			}
		}
		Charset charset = switch (der[0]) {
			case 0x1e -> StandardCharsets.UTF_16BE; // BMPString
			case 0x14 -> StandardCharsets.ISO_8859_1; // TeletexString
			default -> StandardCharsets.UTF_8; // UTF8String, PrintableString, IA5String
		};
		return new String(der, offset, Math.max(0, Math.min(length, der.length - offset)), charset);
	}

	@Override
	public String toString() {
		return this.value;
	}

}
