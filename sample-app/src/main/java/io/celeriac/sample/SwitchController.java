package io.celeriac.sample;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows and flips the {@link FeatureSwitch}: {@code POST /api/switch?on=true} turns it
 * on, {@code ?on=false} off, no parameter flips it.
 *
 * @author Celeriac team
 */
@RestController
@RequestMapping("/api/switch")
class SwitchController {

	private final FeatureSwitch featureSwitch;

	SwitchController(FeatureSwitch featureSwitch) {
		this.featureSwitch = featureSwitch;
	}

	@GetMapping
	Map<String, Boolean> state() {
		return Map.of("on", this.featureSwitch.isOn());
	}

	@PostMapping
	Map<String, Boolean> flip(@RequestParam(required = false) @Nullable Boolean on) {
		this.featureSwitch.set((on != null) ? on : !this.featureSwitch.isOn());
		return state();
	}

}
