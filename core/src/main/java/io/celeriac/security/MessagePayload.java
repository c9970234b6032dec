package io.celeriac.security;

/**
 * A message body with the content type and encoding that say how to read it: what a
 * signer wraps and a verifier unwraps.
 *
 * @param body the body bytes
 * @param contentType the content type, e.g. {@code application/json}
 * @param contentEncoding the content encoding, e.g. {@code utf-8}
 * @author Celeriac team
 */
public record MessagePayload(byte[] body, String contentType, String contentEncoding) {

}
