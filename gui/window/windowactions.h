#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <vector>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;
class QUndoStack;
class QWidget;

namespace stridescope {

// The window's commands: its actions with their texts and shortcuts, and the menu bar and toolbar
// that show them. It does nothing itself: MainWindow connects each action to what it does.
class WindowActions final
{
    Q_DECLARE_TR_FUNCTIONS(WindowActions)

public:
    // The actions belong to `window`: their shortcuts act in it.
    WindowActions(QMainWindow* window, QUndoStack* undoStack);

    // File, Edit, Inspect, Presets, View (with the toggles of `docks`) and Help; fills
    // recentMenu, presets and about.
    void addMenus(QMainWindow* window, const QList<QDockWidget*>& docks);
    // The request across the whole window, with Run and Stop at its right end.
    void addRequestToolBar(QMainWindow* window, QWidget* requestBar);

    QAction* const newScenario;
    QAction* const open;
    QAction* const save;
    QAction* const saveAs;
    QAction* const exportImage;
    QAction* const copyImage;
    QAction* const quit;
    QAction* const undo;
    QAction* const redo;
    QAction* const run;
    QAction* const stop;
    QAction* const zoomIn;
    QAction* const zoomOut;
    QAction* const fit;
    QAction* const lightTheme;
    QAction* const darkTheme;
    QAction* const colourBlindSafe;

    // Made by addMenus.
    QMenu* recentMenu = nullptr; // File > Open Recent, filled by RecentFiles
    struct PresetAction
    {
        QString name; // PresetLibrary's
        QAction* action;
    };
    std::vector<PresetAction> presets;
    QAction* about = nullptr;

private:
    void addFileMenu(QMainWindow* window);
    void addPresetsMenu(QMainWindow* window);
    void addViewMenu(QMainWindow* window, const QList<QDockWidget*>& docks);
};

} // namespace stridescope
