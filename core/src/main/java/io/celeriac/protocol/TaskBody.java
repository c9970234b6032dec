package io.celeriac.protocol;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of a protocol v2 task message: {@code [args, kwargs, embed]}.
 *
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param embed the workflow options: {@code callbacks}, {@code errbacks}, {@code chain},
 * {@code chord}
 * @author Celeriac team
 */
public record TaskBody(ArrayNode args, ObjectNode kwargs, ObjectNode embed) {

}
