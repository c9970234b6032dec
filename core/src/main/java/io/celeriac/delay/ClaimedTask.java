package io.celeriac.delay;

/**
 * A due task that one scheduler has claimed: no other claims it until the claim lapses,
 * and it stays in the store until {@link DelayedTaskStore#remove(ClaimedTask)}.
 *
 * @param id the store's id of the entry
 * @param task the task
 * @author Celeriac team
 */
public record ClaimedTask(String id, DelayedTask task) {

}
