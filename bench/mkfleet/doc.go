// Command mkfleet writes a made-up fleet: the JSON reports of daily checks
// of many hosts against one formular, for measuring the store of checks
// (package fleet) and what is drawn from it.
//
//	go run ./bench/mkfleet -hosts 1000 -days 30 -items 200 -o DIR
//	go run ./bench/mkfleet -hosts 50 -days 1 -items 4000 -o DIR
//
// The formular has a closed modules table (nine items in ten) and a
// parameters table (the tenth). mkfleet writes the product's tree and
// settings file into a temporary directory, checks them with verify.Check
// once for every state a host is ever in (intact, or with its own files
// changed, removed or added and its parameters set out of bounds), and
// builds each report with report.Build from that result and the run's
// facts. So every report is one sverka could have written: report.Read
// accepts it and its verdict is the one its items call for.
//
// The fleet's story follows from -seed through integer arithmetic only:
// hosts host-0001… in a location and a role group; about one check in 20
// failing, in episodes of one to five days after which the host holds
// again (repaired) or, at the end, is still broken; a few CANNOT CHECK
// checks; a few hosts overdue (their last 8 to 12 days missing); and, in
// the last tenth of the days, an update that changed the same file the
// same way on 15% of the hosts, the finding they all share.
//
// The reports go to DIR/HOST/HOST-YYYY-MM-DD.json. DIR.fleet, beside DIR,
// says what was written and what the store should answer about it at the
// end: how many hosts hold, are broken, cannot be checked or are overdue,
// and the update's finding; bench/run reads it.
package main
