#include <QTest>
class TestCore : public QObject { Q_OBJECT };
QTEST_APPLESS_MAIN(TestCore)
#include "tst_core.moc"
