package io.celeriac.workflow;

/**
 * A group whose results, once every member is done, are given in header order to a body
 * task as its first argument (Celery's {@code chord}). The body runs once; if a header
 * member fails, the body is not run and its result records a {@code ChordError}. The
 * chord's result is the body's.
 *
 * @param header the header
 * @param body the body
 * @author Celeriac team
 */
public record Chord(Group header, Signature body) implements Workflow {

}
