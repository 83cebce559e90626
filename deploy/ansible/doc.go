// Package ansible holds no code: its test runs the Ansible role and
// playbooks of this directory (check.yml, timer.yml) against an
// inventory of hosts on the local connection, and holds what they leave
// (reports fetched, the fleet store, the periodic check's files) to what
// was planted on each host.
package ansible
