package io.celeriac.sample;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacBackends;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows which backend Celeriac chose for each capability.
 *
 * @author Celeriac team
 */
@RestController
class BackendsController {

	private final CeleriacBackends backends;

	BackendsController(CeleriacBackends backends) {
		this.backends = backends;
	}

	@GetMapping("/backends")
	Map<String, String> backends() {
		Map<String, String> chosen = new LinkedHashMap<>();
		for (Capability capability : Capability.values()) {
			chosen.put(capability.name().toLowerCase(Locale.ROOT),
					this.backends.of(capability).name().toLowerCase(Locale.ROOT));
		}
		return chosen;
	}

}
