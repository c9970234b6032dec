package io.celeriac.broker;

/**
 * Handles the deliveries of a subscription. It must settle each delivery; an exception it
 * throws makes the broker requeue the delivery.
 *
 * @author Celeriac team
 */
@FunctionalInterface
public interface DeliveryHandler {

	/**
	 * Handles one delivery.
	 * @param delivery the delivery
	 */
	void handle(Delivery delivery);

}
