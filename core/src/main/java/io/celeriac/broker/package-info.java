/**
 * The broker SPI: publish task messages with confirmation, declare the topology and
 * consume queues with explicit acknowledgement.
 */
@NullMarked
package io.celeriac.broker;

import org.jspecify.annotations.NullMarked;
