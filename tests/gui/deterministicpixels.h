#pragma once

// main() of a test that compares pixels or text boxes: offscreen (unless a platform is chosen), 96 dpi,
// no scaling, so every machine draws the same picture.
#include <QApplication>
#include <QtTest>

template <class Test> int runWithDeterministicPixels(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_FONT_DPI", "96");
    qputenv("QT_SCALE_FACTOR", "1");
    QApplication app(argc, argv);
    Test test;
    return QTest::qExec(&test, argc, argv);
}
