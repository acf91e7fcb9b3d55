"""Small BPMN documents for tests, written as text so that each test shows its model."""

HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
          'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
          'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
          'id="defs" targetNamespace="http://conventio.test">\n')


def definitions(*parts):
    return HEADER + "\n".join(parts) + "\n</bpmn:definitions>\n"


def process(process_id, body, lanes=None, name=None):
    lane_xml = ""
    if lanes:
        lane_xml = '<bpmn:laneSet id="ls_' + process_id + '">' + "".join(
            f'<bpmn:lane id="lane_{process_id}_{i}" name="{lane}">' + "".join(
                f"<bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef>" for ref in refs) + "</bpmn:lane>"
            for i, (lane, refs) in enumerate(lanes.items())) + "</bpmn:laneSet>"
    label = f' name="{name}"' if name else ""
    return f'<bpmn:process id="{process_id}"{label} isExecutable="true">{lane_xml}\n{body}\n</bpmn:process>'


def flow(flow_id, source, target, condition=None):
    if condition is None:
        return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}"/>'
    condition = condition.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">'
            f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}'
            f'</bpmn:conditionExpression></bpmn:sequenceFlow>')


def user_task(task_id, name, properties=None):
    props = ""
    if properties:
        props = ("<bpmn:extensionElements><spiffworkflow:properties>" + "".join(
            f'<spiffworkflow:property name="{k}" value="{_attr(v)}"/>' for k, v in properties.items())
            + "</spiffworkflow:properties></bpmn:extensionElements>")
    return f'<bpmn:userTask id="{task_id}" name="{name}">{props}</bpmn:userTask>'


def script_task(task_id, script, name=None):
    script = script.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (f'<bpmn:scriptTask id="{task_id}" name="{name or task_id}">'
            f"<bpmn:script>{script}</bpmn:script></bpmn:scriptTask>")


def catch_message(event_id, name, message_ref, variable):
    """An intermediate event waiting for a message, its payload stored in `variable`."""
    return (f'<bpmn:intermediateCatchEvent id="{event_id}" name="{name}">'
            f'<bpmn:messageEventDefinition messageRef="{message_ref}"><bpmn:extensionElements>'
            f'<spiffworkflow:messageVariable>{variable}</spiffworkflow:messageVariable>'
            '</bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:intermediateCatchEvent>')


def throw_message(event_id, name, message_ref, payload):
    """An intermediate event sending a message whose payload is the expression `payload`."""
    return (f'<bpmn:intermediateThrowEvent id="{event_id}" name="{name}">'
            f'<bpmn:messageEventDefinition messageRef="{message_ref}"><bpmn:extensionElements>'
            f'<spiffworkflow:messagePayload>{payload}</spiffworkflow:messagePayload>'
            '</bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:intermediateThrowEvent>')


def _attr(value):
    return str(value).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def sequence(process_id, *elements, lanes=None):
    """start -> elements (given as (id, xml)) -> end, chained in order."""
    ids = ["start"] + [element_id for element_id, _ in elements] + ["end"]
    body = ['<bpmn:startEvent id="start"/>'] + [xml for _, xml in elements] + ['<bpmn:endEvent id="end"/>']
    body += [flow(f"f{i}", a, b) for i, (a, b) in enumerate(zip(ids, ids[1:]))]
    return definitions(process(process_id, "\n".join(body), lanes=lanes))
