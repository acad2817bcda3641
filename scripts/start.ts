/** The main job. For now it only validates and builds; the mock server and docs come next. */
console.log('start: spec bundled and types generated (generated/). The mock server is not built yet.');
