#!/usr/bin/env bash
# Alertmanager: the config checks, the routing tree per severity, and — against a real Alertmanager on a free
# loopback port — inhibition and the notification text of Slack and PagerDuty (docs/alerting.md). The checks are
# the `alertmanager` Jest project (jest.config.js): scripts/alertmanager/routes.test.ts (amtool) and
# delivery.test.ts (prometheus-alertmanager, started and stopped by the test). Does not touch the running stack.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

jest_suite alertmanager --selectProjects alertmanager
