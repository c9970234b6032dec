package io.celeriac.sample;

import java.util.Map;

import io.celeriac.limit.Limited;
import io.celeriac.lock.Locked;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows {@link Locked @Locked} and {@link Limited @Limited}: one settlement per invoice
 * at a time across every instance of the application, and at most
 * {@code celeriac.limiter.limiters.partner-api.limit} partner calls at once.
 *
 * @author Celeriac team
 */
@RestController
class InvoicesController {

	@PostMapping("/invoices/{id}/settle")
	@Locked(key = "'invoice:' + #id", expires = "30s", timeout = "2s")
	public Map<String, Object> settle(@PathVariable long id) {
		return Map.of("invoice", id, "settled", true);
	}

	@GetMapping("/partner/quote/{sku}")
	@Limited(value = "partner-api", timeout = "1s")
	public Map<String, Object> quote(@PathVariable String sku) {
		return Map.of("sku", sku, "price", 42);
	}

}
