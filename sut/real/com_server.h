// com_server.h: the adapter .exe as an out-of-process COM server for the notification CLSIDs.
//
// A class ClsidX is registered per user (HKCU\Software\Classes\CLSID\{guidOf(X)}\LocalServer32 =
// "<exe>" server <X> <owner pid>), with the owner's pid as a marker value so a later start can
// remove the keys of a run that died (cleanServerKeys). The server process records every
// activation and callback as a line in serverLogPath(owner) (format: server_log.h, which the
// coordinator tails), answers every call as the class's behaviour says (the key's
// bitsconform-behavior value when BITS creates the object; behaviour.h), tells its identity through IPersist::GetClassID
// (serverIdentityOf in real_common.h) and lives while its owner does.
#pragma once

#include "sut/real/real_common.h"  // vocab before windows.h

#include <string>
#include <vector>

namespace bc::real {

std::wstring serverLogPath(unsigned long ownerPid);
// Writes the class's keys (per user; machine: HKLM\Software\Classes, the Wine fallback), with
// the behaviour its new objects get; returns the RegCreateKey/RegSetValue status (0 = success).
long registerServerClass(ClassId c, const std::wstring& exe, unsigned long ownerPid, bool machine,
                         Behavior behaviour = Behavior::Ok);
void unregisterServerClass(ClassId c);
bool serverClassRegistered(ClassId c);
// Removes (both hives) the keys of every class whose marker names this process (ownOnly) or a dead one.
int cleanServerKeys(bool ownOnly, std::string* log);
// LocalServer32 mode: serves the class until the owner process ends.
int runServer(ClassId c, unsigned long ownerPid);
// The Wine-testable path: register, CoCreateInstance(CLSCTX_LOCAL_SERVER), call, read the log,
// unregister; prints "key: value" lines. hold: register, print "registered", wait to be killed.
int clsidSelfTest(bool hold);

}  // namespace bc::real
