// Names of the bus itself and of systemd's manager, defined once for every module that calls them.

/** The message bus answers on this name and path (ListNames, GetNameOwner, AddMatch …). */
export const BUS_SERVICE = 'org.freedesktop.DBus';
export const BUS_PATH = '/org/freedesktop/DBus';

export const SYSTEMD_BUS_NAME = 'org.freedesktop.systemd1';
export const SYSTEMD_PATH = '/org/freedesktop/systemd1';
export const SYSTEMD_MANAGER_INTERFACE = 'org.freedesktop.systemd1.Manager';
