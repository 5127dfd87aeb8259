export { PluginConfig, PluginActionConfig, readPluginConfig, CONFIG_FILE } from './plugin-config.js';
export { PLUGIN_CATEGORIES, DATA_TYPES, ANNOTATION_TYPES } from './plugin-choices.js';
export { loadPlugin, type LoadedPlugin } from './load-plugin.js';
export { createPlugin, type CreatePluginOptions } from './create-plugin.js';
export { exportPluginFiles, codeFromName, type PluginAnswers } from './plugin-template.js';
export { runPlugin, type RunPluginOptions } from './run-plugin.js';
