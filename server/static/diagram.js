// Draws the instance's BPMN diagrams with bpmn-js (served from this server) and marks
// each element done, active or waiting. The page stays readable without it.
(function () {
  'use strict';
  var root = document.getElementById('diagrams');
  if (!root) { return; }

  function fail() {
    root.textContent = root.getAttribute('data-error');
    root.setAttribute('data-ready', 'error');
  }

  function mark(viewer, ids, className) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    ids.forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, className); }
    });
  }

  function draw(diagram) {
    var figure = document.createElement('figure');
    figure.className = 'diagram';
    figure.setAttribute('data-process-id', diagram.process_id);
    var caption = document.createElement('figcaption');
    caption.textContent = diagram.name + ' (' + diagram.file + ')';
    var container = document.createElement('div');
    container.className = 'canvas';
    figure.appendChild(caption);
    figure.appendChild(container);
    root.appendChild(figure);
    var viewer = new window.BpmnJS({ container: container });
    return viewer.importXML(diagram.xml).then(function () {
      viewer.get('canvas').zoom('fit-viewport');
      mark(viewer, diagram.done, 'marker-done');
      mark(viewer, diagram.waiting, 'marker-waiting');
      mark(viewer, diagram.active, 'marker-active');
    });
  }

  if (!window.BpmnJS || !window.fetch) { fail(); return; }
  fetch(root.getAttribute('data-url'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      return response.json();
    })
    .then(function (data) {
      return data.diagrams.reduce(function (chain, diagram) {
        return chain.then(function () { return draw(diagram); });
      }, Promise.resolve());
    })
    .then(function () { root.setAttribute('data-ready', 'true'); })
    .catch(fail);
}());
