/**
 * What a test starts and must close after it, whatever the test's outcome.
 */
@NullMarked
package io.celeriac.test.resource;

import org.jspecify.annotations.NullMarked;
