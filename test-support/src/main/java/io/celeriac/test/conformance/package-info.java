/**
 * The conformance kit: checks, against the live broker and result store, that an
 * application fits the shared task topology.
 */
@NullMarked
package io.celeriac.test.conformance;

import org.jspecify.annotations.NullMarked;
