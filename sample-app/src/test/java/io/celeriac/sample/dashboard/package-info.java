/**
 * The sample's dashboard in a real browser (Debian's Chromium, driven by Selenium).
 */
@NullMarked
package io.celeriac.sample.dashboard;

import org.jspecify.annotations.NullMarked;
