package io.celeriac.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of tasks, with their tags: what a tracing or metrics backend sees.
 *
 * @author Celeriac team
 */
public enum TaskObservationDocumentation implements ObservationDocumentation {

	/**
	 * Publishing a task to the broker, until the broker confirms it (a producer span).
	 */
	TASK_PUBLISH {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTaskPublishObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityTags.TASK_NAME, LowCardinalityTags.ROUTING_KEY };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityTags.values();
		}

	},

	/**
	 * Running a task on a worker (a consumer span, child of the producer's).
	 */
	TASK_PROCESS {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTaskProcessObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityTags.TASK_NAME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityTags.values();
		}

	};

	/**
	 * Tags of bounded cardinality: they go to metrics and spans.
	 */
	public enum LowCardinalityTags implements KeyName {

		/**
		 * The task's name.
		 */
		TASK_NAME {

			@Override
			public String asString() {
				return "celeriac.task.name";
			}

		},

		/**
		 * The routing key the task was published with.
		 */
		ROUTING_KEY {

			@Override
			public String asString() {
				return "celeriac.task.routing-key";
			}

		}

	}

	/**
	 * Tags of unbounded cardinality: they go to spans only.
	 */
	public enum HighCardinalityTags implements KeyName {

		/**
		 * The task's id.
		 */
		TASK_ID {

			@Override
			public String asString() {
				return "celeriac.task.id";
			}

		}

	}

}
