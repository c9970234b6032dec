/**
 * Message signing with an RSA key and X.509 certificates in the envelope of Celery's
 * {@code auth} serializer, so that Java and Python Celery producers and workers sign and
 * verify each other's messages.
 */
@NullMarked
package io.celeriac.security.x509;

import org.jspecify.annotations.NullMarked;
