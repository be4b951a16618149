//go:build mage
// +build mage

package main

import (
	"os"

	"github.com/magefile/mage/mg"

	// mage:import
	build "github.com/grafana/grafana-plugin-sdk-go/build"
)

// Default is what `go tool mage` runs.
var Default = Ship

// Ship builds gpx_pgha for the platforms we ship. The SDK finds the executable name in
// src/datasource/plugin.json (the app itself has no backend) and writes dist/datasource/gpx_pgha_<os>_<arch>.
func Ship() error {
	b := build.Build{}
	mg.Deps(b.Linux, b.LinuxARM64, b.DarwinARM64, b.Windows)
	// The SDK writes the manifest at dist/; it describes the nested data source's binaries, so it goes
	// next to them, where Grafana's validator and signer look for a nested backend.
	return os.Rename("dist/go_plugin_build_manifest", "dist/datasource/go_plugin_build_manifest")
}
