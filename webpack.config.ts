// Extends the scaffolded config (.config/ is never edited by hand): the stock config only copies the
// root plugin's logos, so the nested data source and panel logos are copied here.
import path from 'path';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { Compilation, type Compiler, type Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

// The scaffold copies every src/**/*.json into dist/, test fixtures included (src/**/testdata/). Grafana's catalog
// takes the zip as it is: drop them once every asset is in, so dist/ and the zip carry no test data.
class DropTestData {
  apply(compiler: Compiler) {
    compiler.hooks.thisCompilation.tap('DropTestData', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'DropTestData', stage: Compilation.PROCESS_ASSETS_STAGE_SUMMARIZE },
        (assets) => {
          for (const name of Object.keys(assets)) {
            if (/(^|\/)testdata\//.test(name)) {
              compilation.deleteAsset(name);
            }
          }
        }
      );
    });
  }
}

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    module: {
      rules: [
        // The runbooks are bundled as text (src/components/runbooks/sources.ts) and rendered in the app.
        { test: /\.md$/, include: path.resolve(__dirname, 'docs/runbooks'), type: 'asset/source' },
      ],
    },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: 'datasource/img', to: 'datasource/img' },
          { from: 'panels/topology/img', to: 'panels/topology/img' },
          { from: 'panels/slo/img', to: 'panels/slo/img' },
        ],
      }),
      new DropTestData(),
    ],
  });
};

export default config;
