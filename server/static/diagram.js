// Draws the instance's BPMN diagrams with bpmn-js (served from this server) and marks
// each element done, active or waiting, or (process analytics) its heat: the time spent there.
// The page stays readable without it.
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

  // heat: {bpmn id: {level 1-5, hours (its typical wait), p90_hours}}; the page's table gives the same figures
  function heat(viewer, levels) {
    var overlays = viewer.get('overlays');
    var registry = viewer.get('elementRegistry');
    Object.keys(levels || {}).forEach(function (id) {
      var figures = levels[id];
      if (!registry.get(id) || !figures.level) { return; }
      viewer.get('canvas').addMarker(id, 'heat-' + figures.level);
      var badge = document.createElement('span');
      badge.className = 'heat-badge';
      badge.textContent = String(figures.hours).replace('.', ',') + ' h';
      overlays.add(id, { position: { bottom: 0, right: 0 }, html: badge });
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
      heat(viewer, diagram.heat);
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
