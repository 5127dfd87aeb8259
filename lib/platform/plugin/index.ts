export { PluginConfig, PluginActionConfig, readPluginConfig, CONFIG_FILE, PLUGIN_CATEGORIES, DATA_TYPES, ANNOTATION_TYPES } from './plugin-config.js';
export { loadPlugin, type LoadedPlugin } from './load-plugin.js';
export { createPlugin, type CreatePluginOptions } from './create-plugin.js';
export { exportPluginFiles, codeFromName, type PluginAnswers } from './plugin-template.js';
export { runPlugin, type RunPluginOptions } from './run-plugin.js';
