"""The long sequential model the benchmarks run (no import side effects: a bench may load
the project from another source tree)."""


def sequential_bpmn(count, process_id="long_chain"):
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
             'id="bench" targetNamespace="http://conventio.bench">',
             f'<bpmn:process id="{process_id}" isExecutable="true">', '<bpmn:startEvent id="start"/>']
    previous = "start"
    for index in range(count):
        parts.append(f'<bpmn:userTask id="t{index}" name="Étape {index}"/>')
        parts.append(f'<bpmn:sequenceFlow id="f{index}" sourceRef="{previous}" targetRef="t{index}"/>')
        previous = f"t{index}"
    parts += ['<bpmn:endEvent id="end"/>', f'<bpmn:sequenceFlow id="f_end" sourceRef="{previous}" targetRef="end"/>',
              "</bpmn:process></bpmn:definitions>"]
    return "\n".join(parts)
